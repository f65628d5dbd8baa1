/**
 * The inbound pipeline (docs/design.md §3.2, §4.4, §6.2): {@link org.smimegw.core.inbound.InboundPipeline} strips
 * headers a sender could use to spoof a verdict, decrypts a top-level enveloped message with a stored organisation key,
 * verifies a top-level signature against stored certificate data only, and annotates the message with
 * {@code Authentication-Results} ({@code smime} method) and {@code X-SMIME-Encryption}.
 *
 * <p>Public: the pipeline and its value types ({@link org.smimegw.core.inbound.InboundResult},
 * {@link org.smimegw.core.inbound.SmimeResult}, {@link org.smimegw.core.inbound.EncryptionOutcome},
 * {@link org.smimegw.core.inbound.Signer}). The stages are package-private: {@code SpoofedHeaderFilter},
 * {@code EntityClassifier}, {@code Decryptor}, {@code SignedLayer}/{@code MultipartSigned},
 * {@code SignatureVerifier}/{@code SignerEvaluator}/{@code SignerTrust}, {@code Annotator}.
 */
package org.smimegw.core.inbound;
