/** Starts and stops the product's processes on one machine: gateway and local nodes. */
package dev.metaserve.launcher;
