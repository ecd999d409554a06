/** Leave-task-out evaluation of every method on the same folds: accuracy, regret, who wins where, the JSON report. */
package dev.metaserve.selector.eval;
