/** Online choice: Thompson sampling on live evidence, started from the offline model's priors, swapped in service. */
package dev.metaserve.selector.online;
