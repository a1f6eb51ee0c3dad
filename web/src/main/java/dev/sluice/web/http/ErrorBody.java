package dev.sluice.web.http;

/** The JSON body of every refusal: {@code {"error": "..."}}. */
record ErrorBody(String error) {}
