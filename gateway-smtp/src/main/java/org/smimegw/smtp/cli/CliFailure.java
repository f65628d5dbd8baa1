package org.smimegw.smtp.cli;

/** A command that was refused or failed: exit status 1 and the message as one line on stderr. */
public final class CliFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CliFailure(String message) {
        super(message);
    }
}
