package org.smimegw.smtp.admin;

/**
 * A request that gets an error page instead of the page it asked for: 400 for a parameter the page cannot use, 404
 * for something that is not stored. The message is one sentence that names the parameter or the thing, shown
 * escaped.
 */
final class PageError extends Exception {
    private static final long serialVersionUID = 1L;
    /** How much of a refused value the error page repeats. */
    private static final int ECHOED = 100;

    private final int status;

    private PageError(int status, String sentence) {
        super(sentence);
        this.status = status;
    }

    /** A parameter's value the page cannot use: {@code page: 'abc' is not a page number (...)}. */
    static PageError badParameter(String parameter, String value, String problem) {
        String echoed = value.length() > ECHOED ? value.substring(0, ECHOED) + "\u2026" : value;
        return new PageError(400, parameter + ": '" + echoed + "' " + problem);
    }

    static PageError notFound(String sentence) {
        return new PageError(404, sentence);
    }

    int status() {
        return status;
    }

    String title() {
        return status == 404 ? "Not found" : "Bad request";
    }
}
