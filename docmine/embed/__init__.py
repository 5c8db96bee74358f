"""Text embedders and the models behind them: the Protocol, the backends, the model cache, the factory.

Importing this package stays cheap: torch, onnxruntime and tokenizers load inside methods.
"""

from docmine.embed.factory import make_embedder
from docmine.embed.hashing import HashingEmbedder
from docmine.embed.onnx_runtime import OnnxEmbedder
from docmine.embed.protocol import Embedder
from docmine.embed.sbert import SentenceTransformerEmbedder

__all__ = ["Embedder", "HashingEmbedder", "OnnxEmbedder", "SentenceTransformerEmbedder", "make_embedder"]
