/**
 * A webhook delivery as received ({@link io.kycrouter.delivery.Delivery}), how its body is parsed and read
 * ({@link io.kycrouter.delivery.JsonBodies}, {@link io.kycrouter.delivery.JsonField}), and the refusal of one
 * ({@link io.kycrouter.delivery.DeliveryRejected}). The stages of the flow depend on it and it on none of them:
 * ingress -> vendors -> security -> delivery (PackageCyclesTest keeps it so).
 */
package io.kycrouter.delivery;
