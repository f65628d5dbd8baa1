/**
 * The mutation fuzz harness over the inbound and outbound pipelines (docs/fuzzing.md): seeds, the mutator
 * inventory, the oracle, the campaign, and {@link org.smimegw.bench.fuzz.FuzzRun} for the long run.
 *
 * <p>Main code of the bench module, because both its short-run test and the long-run main need it and this module
 * already has the core test-jar (in-memory ports, TestPki); a core test-jar harness could not run as a main here.
 */
package org.smimegw.bench.fuzz;
