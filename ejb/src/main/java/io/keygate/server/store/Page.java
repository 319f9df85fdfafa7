package io.keygate.server.store;

import java.util.List;

/** One page of a listing and where the next one starts ({@code null} on the last page). */
public record Page<T>(List<T> items, Cursor next) {
}
