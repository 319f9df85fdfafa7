package io.keygate.server.store;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.time.Instant;

/**
 * Stores instants as epoch milliseconds ({@code BIGINT}). JPA 3.1 has no portable {@code Instant} mapping, and
 * a {@code TIMESTAMP} column is read in the JVM's or the session's time zone differently by H2, PostgreSQL and
 * MariaDB; a number means the same on all three.
 */
@Converter
public class InstantMillisConverter implements AttributeConverter<Instant, Long> {

    @Override
    public Long convertToDatabaseColumn(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }

    @Override
    public Instant convertToEntityAttribute(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }
}
