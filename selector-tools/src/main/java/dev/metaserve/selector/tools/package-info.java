/** The {@code selector} command: offline training of the selector model and its leave-task-out evaluation. */
package dev.metaserve.selector.tools;
