package io.keygate.filter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;

/** A {@link FilterChain} that remembers the request it was given, standing in for the application. */
final class RecordingChain implements FilterChain {

    HttpServletRequest request;
    int calls;

    @Override
    public void doFilter(ServletRequest request, ServletResponse response) {
        this.request = (HttpServletRequest) request;
        calls++;
    }

    boolean passed() {
        return calls == 1;
    }
}
