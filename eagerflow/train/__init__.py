"""tf.train: object-based checkpoints (Checkpoint, CheckpointManager) and the functions
that find and inspect them.

checkpoint.py: Checkpoint; graph.py: the object graph and its path scheme; restore.py:
matching saved values to live objects, deferred until they exist; status.py: the load
statuses; files.py: the .index/.data files; state.py: the `checkpoint` state file;
manager.py: CheckpointManager.
"""

from .checkpoint import Checkpoint  # noqa: F401
from .files import CheckpointReader, list_variables, load_checkpoint, load_variable  # noqa: F401
from .manager import CheckpointManager  # noqa: F401
from .state import CheckpointState, get_checkpoint_state, latest_checkpoint  # noqa: F401
