package org.smimegw.smtp.operations;

/**
 * An operator action that was refused, with a one-line reason meant for the operator: the command line prints it
 * on stderr and exits 1, the admin page shows it.
 */
public final class OperationRefused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OperationRefused(String message) {
        super(message);
    }
}
