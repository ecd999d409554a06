/** Operator endpoints: what the gateway knows about its nodes. */
package dev.metaserve.gateway.api.admin;
