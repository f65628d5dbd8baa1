package org.smimegw.core.helpdesk;

import java.util.Objects;

/**
 * What the gateway does for the helpdesk (docs/design.md §16).
 *
 * @param stripHeaders {@code inbound.strip.headers}: the fields removed from inbound mail
 * @param subjectTags {@code inbound.subject.tag*}: the Subject's verdict tags
 */
public record HelpdeskSettings(HeaderNamePatterns stripHeaders, SubjectTags subjectTags) {
    /** The defaults of docs/design.md §7: the helpdesks' control headers stripped, no tagging. */
    public static final HelpdeskSettings DEFAULTS = new HelpdeskSettings(
            HeaderNamePatterns.parse(HeaderNamePatterns.DEFAULT), SubjectTags.DEFAULTS);

    public HelpdeskSettings {
        Objects.requireNonNull(stripHeaders, "stripHeaders");
        Objects.requireNonNull(subjectTags, "subjectTags");
    }
}
