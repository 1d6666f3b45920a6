"""What `Checkpoint.restore` / `read` return: assertions about how the checkpoint and the
program matched. They are checked when called, so values restored later (deferred)
count."""

_SHOWN = 10


def _listing(paths):
    shown = ", ".join(repr(p) for p in paths[:_SHOWN])
    return shown + (f" and {len(paths) - _SHOWN} more" if len(paths) > _SHOWN else "")


class CheckpointLoadStatus:
    """The status of restoring the checkpoint at `save_path` (see tf.train.Checkpoint)."""

    def __init__(self, restoration, save_counter, expect_save_counter):
        self._restoration = restoration
        self._trivial = () if save_counter is None else (save_counter,)
        # read() does not expect the save counter: a live one need not match.
        self._ignored = () if expect_save_counter else self._trivial

    def assert_consumed(self):
        """Every value in the checkpoint was restored and every live object matched."""
        unrestored = self._restoration.unmatched_saved()
        if unrestored:
            raise AssertionError(
                f"Unresolved object in checkpoint {self._restoration.reader.prefix}: "
                f"{_listing(unrestored)} (not matched to any object of the program, or "
                f"waiting for it to be created).")
        return self.assert_existing_objects_matched()

    def assert_existing_objects_matched(self):
        """Every object the program has now (reachable from the root) matched a saved
        value; objects not created yet (an unbuilt layer's weights) are not checked."""
        unmatched = self._restoration.unmatched_live(skip=self._ignored)
        if unmatched:
            raise AssertionError(
                f"Some objects of the program had no value in checkpoint "
                f"{self._restoration.reader.prefix}: {_listing(unmatched)}.")
        return self

    def assert_nontrivial_match(self):
        """Something beyond the root object (and its save counter) matched."""
        if not self._restoration.matched_beyond(self._trivial):
            raise AssertionError(
                f"Nothing except the root object matched a value in checkpoint "
                f"{self._restoration.reader.prefix}. The checkpoint probably does not match "
                f"the program: compare tf.train.list_variables() with the program's objects.")
        return self

    def expect_partial(self):
        """Declares that only part of the checkpoint is meant to be used (eagerflow never
        warns about the rest)."""
        return self

    def run_restore_ops(self, session=None):
        """Nothing to run: values are assigned eagerly."""

    def initialize_or_restore(self, session=None):
        """Nothing to run: values are assigned eagerly."""


class InitializationOnlyStatus:
    """`restore(None)`: nothing is restored; the variables keep their initial values."""

    def _nothing(self):
        raise AssertionError("No checkpoint specified (save_path=None); nothing is being "
                             "restored.")

    def assert_consumed(self):
        self._nothing()

    def assert_existing_objects_matched(self):
        self._nothing()

    def assert_nontrivial_match(self):
        self._nothing()

    def expect_partial(self):
        return self

    def run_restore_ops(self, session=None):
        """Nothing to run."""

    def initialize_or_restore(self, session=None):
        """Nothing to run: eager variables are initialized when created."""
