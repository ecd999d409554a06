/** Which candidates keep quality within a task's tolerance, estimated from what plans lost on other tasks. */
package dev.metaserve.selector.quality;
