package dev.flotilla.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.dashboard.port.ChangesetQuery;
import dev.flotilla.dashboard.port.ChangesetState;
import org.junit.jupiter.api.Test;

class QueryStringTest {

  @Test
  void emptyQueryIsTheFirstPageByRepository() {
    ChangesetQuery q = QueryString.parse(null).changesetQuery("c");
    assertThat(q).isEqualTo(ChangesetQuery.all("c"));
    assertThat(q.limit()).isEqualTo(50);
  }

  @Test
  void parsesEveryFilter() {
    ChangesetQuery q = QueryString.parse("state=failed,CI_FAILED&state=CONFLICT&owner=payments&q=acme%2Fbill%20ing"
        + "&sort=-stateSince&offset=100&limit=25").changesetQuery("c");
    assertThat(q.states()).containsExactlyInAnyOrder(ChangesetState.FAILED, ChangesetState.CI_FAILED, ChangesetState.CONFLICT);
    assertThat(q.owner()).isEqualTo("payments");
    assertThat(q.text()).isEqualTo("acme/bill ing");
    assertThat(q.sort()).isEqualTo(ChangesetQuery.Sort.STATE_SINCE);
    assertThat(q.descending()).isTrue();
    assertThat(q.offset()).isEqualTo(100);
    assertThat(q.limit()).isEqualTo(25);
  }

  @Test
  void blankFiltersMeanAll() {
    ChangesetQuery q = QueryString.parse("state=&owner=&q=%20&sort=").changesetQuery("c");
    assertThat(q.states()).isEmpty();
    assertThat(q.owner()).isNull();
    assertThat(q.text()).isNull();
  }

  @Test
  void refusesUnknownStatesSortsAndOutOfRangePaging() {
    assertThatThrownBy(() -> QueryString.parse("state=DONE").changesetQuery("c"))
        .isInstanceOf(ApiException.class).hasMessageStartingWith("state 'DONE' is unknown; use one of PENDING, RUNNING");
    assertThatThrownBy(() -> QueryString.parse("sort=age").changesetQuery("c"))
        .hasMessage("sort 'age' is unknown; use one of repository, state, owner, stateSince, with a leading '-' for descending");
    assertThatThrownBy(() -> QueryString.parse("offset=-1").changesetQuery("c"))
        .hasMessageStartingWith("offset must be a whole number from 0");
    assertThatThrownBy(() -> QueryString.parse("limit=501").changesetQuery("c"))
        .hasMessage("limit must be a whole number from 1 to 500, got '501'");
    assertThatThrownBy(() -> QueryString.parse("limit=ten").changesetQuery("c"))
        .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(400));
    assertThatThrownBy(() -> QueryString.parse("q=%zz").changesetQuery("c")).isInstanceOf(ApiException.class);
  }
}
