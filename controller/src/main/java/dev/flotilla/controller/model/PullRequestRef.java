package dev.flotilla.controller.model;

/** One pull request to read: its repository and number. */
public record PullRequestRef(RepositoryRef repository, int number) {}
