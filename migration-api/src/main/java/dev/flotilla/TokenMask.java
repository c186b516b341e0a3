package dev.flotilla;

import java.util.regex.Pattern;

/**
 * Masks GitHub tokens by their shape, for text that may hold a token nobody told us about (a
 * migration's own output, a server's message): the known token is masked by value where it is known,
 * and this catches the rest.
 */
public final class TokenMask {

  /** What a masked token reads as. */
  public static final String MASK = "****";

  /**
   * Classic tokens ({@code ghp_}, {@code gho_}, {@code ghu_}, {@code ghs_}, {@code ghr_}), whose body
   * may carry dot-separated parts (installation tokens in the newer, longer format); fine-grained
   * personal access tokens ({@code github_pat_}); and the password of a URL's user info.
   */
  private static final Pattern SHAPES =
      Pattern.compile(
          "gh[pousr]_(?=[A-Za-z0-9_.\\-]{16,})[A-Za-z0-9_\\-]+(?:\\.[A-Za-z0-9_\\-]+)*"
              + "|github_pat_[A-Za-z0-9_]{20,}"
              + "|(?<=://)[^/@\\s:]+:[^/@\\s]+(?=@)");

  private TokenMask() {}

  /** {@code text} with every token-shaped run masked; null stays null. */
  public static String mask(String text) {
    return text == null ? null : SHAPES.matcher(text).replaceAll(MASK);
  }
}
