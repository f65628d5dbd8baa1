package org.smimegw.core.outbound;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import org.smimegw.core.mime.MailboxList;

/**
 * One rule list of docs/design.md §11 ({@code outbound.encrypt.required.for} and the like): addresses
 * ({@code user@example.com}) and domains ({@code example.com}, which covers its subdomains too), compared without
 * regard to case. Immutable and thread-safe.
 */
public final class AddressRules {
    public static final AddressRules NONE = new AddressRules(List.of());
    /** A DNS name of letter-digit-hyphen labels (A-labels for international names), at least two of them. */
    private static final Pattern DOMAIN = Pattern.compile(
            "(?i)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

    private final List<String> entries;

    private AddressRules(List<String> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * Parses a comma-separated list; blank entries are skipped.
     *
     * @throws IllegalArgumentException naming the first entry that is neither an address nor a domain
     */
    public static AddressRules parse(String list) {
        List<String> entries = new ArrayList<>();
        for (String raw : list.split(",", -1)) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            boolean address = entry.contains("@")
                    && MailboxList.parse(entry).filter(parsed -> parsed.equals(List.of(entry))).isPresent()
                    && DOMAIN.matcher(domainOf(entry)).matches();
            if (!address && !DOMAIN.matcher(entry).matches()) {
                throw new IllegalArgumentException("'" + entry + "' is neither an address (user@example.com) "
                        + "nor a domain (example.com)");
            }
            entries.add(entry.toLowerCase(Locale.ROOT));
        }
        return new AddressRules(entries);
    }

    /** The most specific entry covering the address: the address itself, else its nearest domain; empty if none. */
    public Optional<String> match(String address) {
        String lower = address.toLowerCase(Locale.ROOT);
        String domain = domainOf(lower);
        String best = null;
        for (String entry : entries) {
            boolean covers = entry.contains("@") ? entry.equals(lower)
                    : domain.equals(entry) || domain.endsWith("." + entry);
            if (covers && (best == null || specificity(entry) > specificity(best))) {
                best = entry;
            }
        }
        return Optional.ofNullable(best);
    }

    /** An address beats every domain; a domain with more labels beats its parents. */
    static int specificity(String entry) {
        return entry.contains("@") ? Integer.MAX_VALUE : entry.split("\\.").length;
    }

    public List<String> entries() {
        return entries;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AddressRules that && entries.equals(that.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return String.join(",", entries);
    }

    private static String domainOf(String address) {
        return address.substring(address.lastIndexOf('@') + 1);
    }
}
