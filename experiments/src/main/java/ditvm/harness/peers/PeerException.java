package ditvm.harness.peers;

/** A peer that cannot run or that computed something else than ditvm: the message is the one line the user reads. */
public final class PeerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PeerException(String message) {
        super(message);
    }

    public PeerException(String message, Throwable cause) {
        super(message, cause);
    }
}
