package dev.sluice.core.promotion;

/**
 * What the fleet dashboard said about the candidate's health on preprod: numbers ({@link
 * HealthReport}) or why there are none ({@link HealthUnavailable}).
 */
public sealed interface HealthEvidence permits HealthReport, HealthUnavailable {}
