package dev.metaserve.bench.e2e;

/**
 * What the gateway's answer says about how a request was served.
 *
 * @param node the id of the node that computed it
 * @param plan the plan it ran under, as its phase writes plans ({@link Phase#planText})
 * @param text the generated text; null for embeddings
 */
record Served(String node, String plan, String text) {}
