/** The methods ours is compared with, on the same folds and features: random, single best, ISAC, ALORS, RF, GBT. */
package dev.metaserve.selector.baselines;
