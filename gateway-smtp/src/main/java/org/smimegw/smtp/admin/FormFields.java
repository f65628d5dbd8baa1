package org.smimegw.smtp.admin;

/** The text fields of a posted form, whichever its encoding; a missing field is the empty string. */
@FunctionalInterface
interface FormFields {
    String field(String name);
}
