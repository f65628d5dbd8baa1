package org.smimegw.smtp.admin;

import java.util.List;
import java.util.function.IntFunction;

/**
 * The pages of a listing: the {@code page} parameter a request gives (a whole number from 1; anything else is a
 * 400), which page that is once the number of items is known (one past the last shows the last), and the links
 * between pages, which keep the listing's other parameters.
 */
final class Paging {
    private Paging() {
    }

    /**
     * One page of a listing.
     *
     * @param page its number, from 1
     * @param size items per page
     * @param total items in all
     */
    record Window(int page, int size, int total) {
        int pages() {
            return total == 0 ? 1 : (total - 1) / size + 1;
        }

        /** How many items come before the page's first. */
        int offset() {
            return (page - 1) * size;
        }

        <T> List<T> of(List<T> items) {
            return items.subList(Math.min(offset(), items.size()), Math.min(offset() + size, items.size()));
        }
    }

    /** The page number the request asks for; 1 without a {@code page} parameter. */
    static int requested(FormFields query) throws PageError {
        String value = query.field("page");
        if (value.isEmpty()) {
            return 1;
        }
        if (value.matches("[0-9]{1,10}")) {
            long page = Long.parseLong(value);
            if (page >= 1 && page <= Integer.MAX_VALUE) {
                return (int) page;
            }
        }
        throw PageError.badParameter("page", value, "is not a page number (a whole number from 1 to "
                + Integer.MAX_VALUE + ")");
    }

    /** The requested page of {@code total} items, or the last page when the request asks for one past it. */
    static Window window(int requested, int total, int size) {
        Window all = new Window(1, size, total);
        return new Window(Math.min(requested, all.pages()), size, total);
    }

    /** Where the requested page would start, for a store that counts while it fetches; at most the largest int. */
    static int offset(int requested, int size) {
        return (int) Math.min((long) (requested - 1) * size, Integer.MAX_VALUE);
    }

    /** {@code 51–100 of 123} with links to the previous and the next page where there are such pages. */
    static void links(Html html, Window window, IntFunction<String> href) {
        if (window.total() == 0) {
            return;
        }
        html.raw("<nav class=\"pages\" aria-label=\"pages\">");
        if (window.page() > 1) {
            html.raw("<a rel=\"prev\" id=\"previous-page\" href=\"").text(href.apply(window.page() - 1))
                    .raw("\">&larr; Previous</a> ");
        }
        int last = Math.min(window.offset() + window.size(), window.total());
        html.raw("<span class=\"range\">").text((window.offset() + 1) + "\u2013" + last + " of " + window.total())
                .raw("</span>");
        if (window.page() < window.pages()) {
            html.raw(" <a rel=\"next\" id=\"next-page\" href=\"").text(href.apply(window.page() + 1))
                    .raw("\">Next &rarr;</a>");
        }
        html.raw("</nav>");
    }
}
