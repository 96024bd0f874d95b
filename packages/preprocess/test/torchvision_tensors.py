"""torchvision's ImageNet tensors for the photos named, one .npy each: the fidelity test's reference.

Usage: torchvision_tensors.py OUT_DIR RECIPE IMAGE... (RECIPE: imagenet = Resize(256) → CenterCrop(224);
inception = Resize(342) → CenterCrop(299); both ToTensor → Normalize(ImageNet mean/std)), loading
as torchvision's ImageFolder does (PIL, convert("RGB")).
"""
import os
import sys

import numpy as np
import torchvision.transforms as T
from PIL import Image

RECIPES = {"imagenet": (256, 224), "inception": (342, 299)}


def main():
    out, recipe, images = sys.argv[1], sys.argv[2], sys.argv[3:]
    resize, crop = RECIPES[recipe]
    transform = T.Compose([T.Resize(resize), T.CenterCrop(crop), T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
    for image in images:
        with open(image, "rb") as f:
            pil = Image.open(f).convert("RGB")
        np.save(os.path.join(out, os.path.basename(image) + ".npy"), transform(pil).numpy())


main()
