package io.keygate.filter;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Lets concurrent requests with the same token hash, none of which found it in the cache, share one call to the
 * verifier: a burst of requests with a token just issued, or with one invented token, costs one store query, not
 * one per request.
 *
 * <p>A request joins a call in flight only if that call started at the same change generation as the request
 * ({@link InvalidationSync#enter}). A request that started after a revocation must not be given the answer of a
 * call that started before it; it starts a call of its own. Requests that may not use the cache
 * ({@link InvalidationSync#BYPASS}) are not coalesced for the same reason: their generation is unknown.
 *
 * <p>The map holds one entry per hash being verified right now, so its size is bounded by the number of threads
 * serving requests.
 */
final class Coalescer {

    private record Flight(long generation, CompletableFuture<VerificationResult> result) {
    }

    private final ConcurrentHashMap<String, Flight> flights = new ConcurrentHashMap<>();

    /** {@code call}'s answer for {@code hash}, shared with every request of the same generation that asks meanwhile. */
    VerificationResult verify(String hash, long generation, Supplier<VerificationResult> call) {
        if (generation == InvalidationSync.BYPASS) {
            return call.get();
        }
        Flight mine = new Flight(generation, new CompletableFuture<>());
        Flight flight = flights.compute(hash,
                (key, current) -> current != null && current.generation() == generation ? current : mine);
        if (flight != mine) {
            return await(flight);
        }
        try {
            VerificationResult result = call.get();
            mine.result().complete(result);
            return result;
        } catch (RuntimeException | Error e) {
            mine.result().complete(new VerificationResult.Unavailable());
            throw e;
        } finally {
            flights.remove(hash, mine);
        }
    }

    /** Calls in flight right now. */
    int inFlight() {
        return flights.size();
    }

    private static VerificationResult await(Flight flight) {
        try {
            return flight.result().join();
        } catch (CompletionException e) {
            return new VerificationResult.Unavailable();
        }
    }
}
