package io.caudal.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.caudal.schemas.Alert;
import io.caudal.schemas.AlertState;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertBoardTest {

  @Test
  void keepsTheHighestRevisionWhateverTheOrderAndDropsRepeats() {
    Alert opened = AlertsBrowserTest.ispAlert(1, AlertState.OPEN, 60_000, 9.0);
    Alert updated = AlertsBrowserTest.ispAlert(2, AlertState.UPDATED, 120_000, 9.5);
    Alert resolved = AlertsBrowserTest.ispAlert(3, AlertState.RESOLVED, 180_000, 2.0);
    Alert other = AlertsBrowserTest.resolvedAnomaly(1, AlertState.OPEN, 60_000);

    AlertBoard inOrder = new AlertBoard();
    inOrder.applyAll(List.of(opened, updated, resolved, other));
    AlertBoard shuffled = new AlertBoard();
    shuffled.applyAll(List.of(resolved, other, updated, opened, updated, resolved));

    assertThat(inOrder.latest()).containsExactlyInAnyOrder(resolved, other);
    assertThat(shuffled.latest()).containsExactlyInAnyOrder(resolved, other);
  }
}
