package dev.chorus.protocol;

/** A decoded server-to-client frame: either a reply or a push (exactly one is set). */
public record ServerFrame(Reply reply, Push push) {
    public ServerFrame {
        if ((reply == null) == (push == null)) {
            throw new IllegalArgumentException("exactly one of reply and push must be set");
        }
    }
}
