/** The meta-learner: gradient-boosted regression trees over candidate features, predicting relative performance. */
package dev.metaserve.selector.learn;
