/** Which nodes are alive, what they serve, and which one gets the next request. */
package dev.metaserve.gateway.routing;
