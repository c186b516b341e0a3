package dev.flotilla.migration.edit;

/**
 * One scalar value found in a YAML file by {@link YamlEditor}, with where it is written.
 *
 * @param value the scalar's value after YAML unquoting and unescaping, e.g. {@code actions/checkout@v3}
 * @param style how the scalar is written in the file
 * @param start the index (in Java {@code char}s) of the scalar's first character in the original
 *     text: its opening quote for quoted scalars; after any anchor ({@code &a}) or tag ({@code !!str})
 * @param end the index just after the scalar's last character (after its closing quote)
 * @param line the 1-based line the scalar starts on
 * @param column the 1-based column (in code points) the scalar starts at
 * @param document the 0-based index of the document (between {@code ---} markers) holding it
 * @param path where the scalar sits, such as {@code jobs.build.steps[2].uses}
 * @param inFlowCollection whether the scalar is inside a {@code [..]} or <code>{..}</code> collection,
 *     where {@code ,[]{}} cannot be written unquoted
 * @param tag the scalar's resolved YAML tag, e.g. {@code tag:yaml.org,2002:str}
 * @param explicitlyTagged whether the file gives the tag ({@code !!str 3}), so the value's type does
 *     not depend on how it is written
 */
public record YamlScalar(
    String value,
    Style style,
    int start,
    int end,
    int line,
    int column,
    int document,
    String path,
    boolean inFlowCollection,
    String tag,
    boolean explicitlyTagged) {

  /** The ways YAML writes a scalar. */
  public enum Style {
    /** {@code uses: actions/checkout@v4} */
    PLAIN,
    /** {@code uses: 'actions/checkout@v4'}: a quote is written twice, no other escapes. */
    SINGLE_QUOTED,
    /** {@code uses: "actions/checkout@v4"}: backslash escapes. */
    DOUBLE_QUOTED,
    /** {@code run: |} followed by indented lines. */
    LITERAL,
    /** {@code run: >} followed by indented lines. */
    FOLDED
  }
}
