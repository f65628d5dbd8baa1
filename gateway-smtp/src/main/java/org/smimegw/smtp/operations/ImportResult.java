package org.smimegw.smtp.operations;

/**
 * One line of an import's result, as {@code cert import} and {@code key import} print it and the admin page shows
 * it: {@code imported <fp> <ca|client> <emails> notAfter=<date>[ key]} or {@code rejected <file>: <reason>}, the
 * reason in the words of docs/design.md §4.1.
 *
 * @param imported whether the certificate or key was stored
 * @param line the line itself, without a line end
 */
public record ImportResult(boolean imported, String line) {
}
