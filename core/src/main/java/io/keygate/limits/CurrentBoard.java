package io.keygate.limits;

/**
 * The board a WAR counts on now. A filter starts on a private board (correct for a WAR alone) and switches to its
 * server's shared one once the verifier hands it over; it drops that board when the verifier retires, since a
 * {@code keygate.war} deployed again brings a board of its own. {@code keygate.war} itself holds its one board
 * throughout. One volatile read per use.
 */
public final class CurrentBoard {

    private final CountBoard own;
    private volatile CountBoard board;

    /** On a private board until {@link #use} is called. */
    public CurrentBoard() {
        this(new CountBoard());
    }

    /** On {@code board}, and back on it after {@link #usePrivate()}. */
    public CurrentBoard(CountBoard board) {
        this.own = board;
        this.board = board;
    }

    public CountBoard get() {
        return board;
    }

    /** Counts on {@code shared} from now on; {@code null} keeps the board in use. */
    public void use(CountBoard shared) {
        if (shared != null) {
            board = shared;
        }
    }

    /** Counts on this WAR's own board again: the shared one's verifier is gone. */
    public void usePrivate() {
        board = own;
    }

    /** Whether the board in use is not this WAR's own. */
    public boolean shared() {
        return board != own;
    }
}
