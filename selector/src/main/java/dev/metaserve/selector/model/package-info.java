/** The trained selector as served: its file format (header, checksum), loading that refuses bad files, hot swap. */
package dev.metaserve.selector.model;
