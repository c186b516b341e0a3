package dev.flotilla.migrations;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A Maven version ordered the way Maven orders them (its {@code ComparableVersion}): numeric
 * segments compare as numbers ({@code 2.18.10 > 2.18.2}), trailing zeros do not count
 * ({@code 1.0 == 1.0.0}), and qualifiers rank
 * {@code alpha < beta < milestone < rc == cr < snapshot < (release) == ga == final == release < sp},
 * with unknown qualifiers after {@code sp}, alphabetically. {@code a1}, {@code b1} and {@code m1}
 * are short for {@code alpha-1}, {@code beta-1} and {@code milestone-1}.
 */
final class MavenVersion implements Comparable<MavenVersion> {

  private static final List<String> QUALIFIERS = List.of("alpha", "beta", "milestone", "rc", "snapshot", "", "sp");
  private static final Map<String, String> ALIASES = Map.of("ga", "", "final", "", "release", "", "cr", "rc");
  private static final String RELEASE_RANK = String.valueOf(QUALIFIERS.indexOf(""));

  private final String text;
  private final ListItem items;

  private MavenVersion(String text) {
    this.text = text;
    this.items = items(text);
  }

  static MavenVersion parse(String version) {
    return new MavenVersion(version.strip());
  }

  @Override
  public int compareTo(MavenVersion other) {
    return items.compareTo(other.items);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MavenVersion v && compareTo(v) == 0;
  }

  @Override
  public int hashCode() {
    return items.toString().hashCode();
  }

  @Override
  public String toString() {
    return text;
  }

  private sealed interface Item permits IntItem, StringItem, ListItem {
    /** Compares with another item, or with nothing ({@code null}: the other version ran out). */
    int compareTo(Item other);

    boolean isNull();
  }

  private record IntItem(BigInteger value) implements Item {
    static final IntItem ZERO = new IntItem(BigInteger.ZERO);

    @Override
    public int compareTo(Item other) {
      if (other == null) {
        return value.signum() == 0 ? 0 : 1;
      }
      return other instanceof IntItem i ? value.compareTo(i.value) : 1;
    }

    @Override
    public boolean isNull() {
      return value.signum() == 0;
    }

    @Override
    public String toString() {
      return value.toString();
    }
  }

  private record StringItem(String value) implements Item {
    static StringItem of(String value, boolean followedByDigit) {
      if (followedByDigit && value.length() == 1) {
        value = switch (value.charAt(0)) {
          case 'a' -> "alpha";
          case 'b' -> "beta";
          case 'm' -> "milestone";
          default -> value;
        };
      }
      return new StringItem(ALIASES.getOrDefault(value, value));
    }

    /** Known qualifiers by rank; unknown ones after all of them, alphabetically. */
    private static String rank(String qualifier) {
      int index = QUALIFIERS.indexOf(qualifier);
      return index >= 0 ? String.valueOf(index) : QUALIFIERS.size() + "-" + qualifier;
    }

    @Override
    public int compareTo(Item other) {
      if (other == null) {
        return rank(value).compareTo(RELEASE_RANK);
      }
      if (other instanceof StringItem s) {
        return rank(value).compareTo(rank(s.value));
      }
      return -1;
    }

    @Override
    public boolean isNull() {
      return rank(value).equals(RELEASE_RANK);
    }

    @Override
    public String toString() {
      return value;
    }
  }

  private static final class ListItem implements Item {
    private final List<Item> items = new ArrayList<>();

    void add(Item item) {
      items.add(item);
    }

    /** Drops trailing zeros and release qualifiers, so 1.0.0 and 1-ga compare equal to 1. */
    void normalize() {
      for (int i = items.size() - 1; i >= 0; i--) {
        Item last = items.get(i);
        if (last.isNull()) {
          items.remove(i);
        } else if (!(last instanceof ListItem)) {
          break;
        }
      }
    }

    @Override
    public int compareTo(Item other) {
      if (other == null) {
        return items.isEmpty() ? 0 : items.get(0).compareTo(null);
      }
      if (other instanceof IntItem) {
        return -1;
      }
      if (other instanceof StringItem) {
        return 1;
      }
      List<Item> theirs = ((ListItem) other).items;
      for (int i = 0; i < Math.max(items.size(), theirs.size()); i++) {
        Item left = i < items.size() ? items.get(i) : null;
        Item right = i < theirs.size() ? theirs.get(i) : null;
        int result = left == null ? (right == null ? 0 : -right.compareTo(null)) : left.compareTo(right);
        if (result != 0) {
          return result;
        }
      }
      return 0;
    }

    @Override
    public boolean isNull() {
      return items.isEmpty();
    }

    @Override
    public String toString() {
      return items.toString();
    }
  }

  /**
   * Splits at {@code .}, at {@code -}, and where digits meet letters; a {@code -} or a switch
   * between digits and letters opens a nested list, which is what makes {@code 1-1 < 1.1}.
   */
  private static ListItem items(String version) {
    String v = version.toLowerCase(Locale.ROOT);
    ListItem top = new ListItem();
    ListItem list = top;
    Deque<ListItem> stack = new ArrayDeque<>();
    stack.push(list);
    boolean digits = false;
    int start = 0;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '.' || c == '-') {
        list.add(i == start ? IntItem.ZERO : item(digits, v.substring(start, i)));
        start = i + 1;
        if (c == '-') {
          list = nested(list, stack);
        }
      } else if (Character.isDigit(c)) {
        if (!digits && i > start) {
          list.add(StringItem.of(v.substring(start, i), true));
          start = i;
          list = nested(list, stack);
        }
        digits = true;
      } else {
        if (digits && i > start) {
          list.add(item(true, v.substring(start, i)));
          start = i;
          list = nested(list, stack);
        }
        digits = false;
      }
    }
    if (v.length() > start) {
      list.add(item(digits, v.substring(start)));
    }
    while (!stack.isEmpty()) {
      stack.pop().normalize();
    }
    return top;
  }

  private static ListItem nested(ListItem parent, Deque<ListItem> stack) {
    ListItem child = new ListItem();
    parent.add(child);
    stack.push(child);
    return child;
  }

  private static Item item(boolean digits, String part) {
    return digits ? new IntItem(new BigInteger(part)) : StringItem.of(part, false);
  }
}
