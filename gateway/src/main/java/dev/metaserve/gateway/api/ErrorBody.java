package dev.metaserve.gateway.api;

/** The JSON body of every error answer: {@code {"error": "..."}}, as the v2 protocol has it. */
public record ErrorBody(String error) {}
