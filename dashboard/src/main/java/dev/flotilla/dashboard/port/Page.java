package dev.flotilla.dashboard.port;

import java.util.List;

/**
 * One slice of a larger result.
 *
 * @param items the rows of this slice, at most {@code limit}
 * @param offset index of the first row in the whole result
 * @param limit the largest slice asked for
 * @param total rows in the whole result, for "51–100 of 10,000"
 */
public record Page<T>(List<T> items, int offset, int limit, long total) {

  public Page {
    items = List.copyOf(items);
  }
}
