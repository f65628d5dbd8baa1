/**
 * What the gateway does for the helpdesk behind it (docs/design.md §16): it removes the helpdesk's own control
 * headers from inbound mail ({@link org.smimegw.core.helpdesk.HeaderNamePatterns}), and it puts the verdict into the
 * Subject of inbound mail and takes it out of the Subject of replies ({@link org.smimegw.core.helpdesk.SubjectTags}).
 * {@link org.smimegw.core.helpdesk.SubjectField} and {@link org.smimegw.core.helpdesk.TagRemoval} read and edit the
 * Subject as a reader sees it, for the tags and for the outbound encryption trigger (§11).
 */
package org.smimegw.core.helpdesk;
