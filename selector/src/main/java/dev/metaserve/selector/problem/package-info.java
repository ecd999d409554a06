/** Selection problems built from the history: a task, the (node, plan) candidates measured for it, and which is best. */
package dev.metaserve.selector.problem;
