/** The performance history: observations of plans on tasks and hardware, kept in H2 (embedded) or PostgreSQL. */
package dev.metaserve.selector.store;
