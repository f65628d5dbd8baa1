/**
 * What the gateway does for the helpdesk behind it (docs/design.md §16): it removes the helpdesk's own control
 * headers from inbound mail ({@link org.smimegw.core.helpdesk.HeaderNamePatterns}), and it puts the verdict into the
 * Subject of inbound mail and takes it out of the Subject of replies ({@link org.smimegw.core.helpdesk.SubjectTags}).
 */
package org.smimegw.core.helpdesk;
