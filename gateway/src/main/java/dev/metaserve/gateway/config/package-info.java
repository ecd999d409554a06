/** Gateway settings, grouped in one mapping. */
package dev.metaserve.gateway.config;
