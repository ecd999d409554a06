/** Wire contracts shared by gateway and nodes: generated protocol classes, tensor codecs and request checks. */
package dev.metaserve.api;
