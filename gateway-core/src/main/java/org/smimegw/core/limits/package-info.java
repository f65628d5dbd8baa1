/**
 * The input limits of the gateway ({@link org.smimegw.core.limits.MessageLimits}, ADR 13) and the walk that
 * checks a message's MIME structure against them ({@link org.smimegw.core.limits.MimeStructure}).
 */
package org.smimegw.core.limits;
