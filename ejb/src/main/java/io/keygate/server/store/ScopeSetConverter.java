package io.keygate.server.store;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Stores a token's scopes as one space-separated column (the RFC 6749 section 3.3 scope syntax), so the verify
 * path reads a single row. Scope names never contain spaces ({@code [a-z][a-z0-9_.:-]*}).
 */
@Converter
public class ScopeSetConverter implements AttributeConverter<Set<String>, String> {

    @Override
    public String convertToDatabaseColumn(Set<String> scopes) {
        return scopes == null ? "" : String.join(" ", new TreeSet<>(scopes));
    }

    @Override
    public Set<String> convertToEntityAttribute(String column) {
        if (column == null || column.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(column.trim().split(" +")).collect(Collectors.toUnmodifiableSet());
    }
}
