"""Does mild affine augmentation help a small classifier trained on 10% of scikit-learn's digits?

Protocol: split the 1,797 8x8 digits 50/50 into train and test (stratified); keep a random 10% of
the training half (~90 images); train an RBF SVM on it, either as is or with 8 augmented copies of
every image made by a mild ``multiaug.image.Affine`` (scale 0.9-1.1, shift up to 8%, rotation up to
10 degrees, shear up to 8 degrees; no flips, so a 6 never turns into a 9). Report test accuracy,
mean +- sd over 5 seeds (each seed draws its own subset and its own augmentations).

Run: ``.venv/bin/python examples/digits_augmentation.py`` (about a minute at most).
"""

from __future__ import annotations

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC

import multiaug as ma
from multiaug import image as I

COPIES = 8


def augment(images: np.ndarray, labels: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The originals plus ``COPIES`` mild affine variants of each (float32 images in [0, 1])."""
    pipe = ma.Pipeline([I.Affine(scale=(0.9, 1.1), translate_percent=0.08, rotate=10, shear=8, p=1.0)], seed=seed)
    out, out_labels = [images], [labels]
    for copy in range(COPIES):
        batch = [pipe({"image": img}, index=i, epoch=copy)["image"] for i, img in enumerate(images)]
        out.append(np.stack(batch))
        out_labels.append(labels)
    return np.concatenate(out), np.concatenate(out_labels)


def run(seed: int) -> tuple[float, float]:
    digits = load_digits()
    images = (digits.images / 16.0).astype(np.float32)
    x_train, x_test, y_train, y_test = train_test_split(
        images, digits.target, test_size=0.5, stratify=digits.target, random_state=0
    )
    x_small, _, y_small, _ = train_test_split(
        x_train, y_train, train_size=0.1, stratify=y_train, random_state=seed
    )
    flat = lambda a: a.reshape(len(a), -1)  # noqa: E731
    plain = SVC(gamma="scale").fit(flat(x_small), y_small).score(flat(x_test), y_test)
    x_aug, y_aug = augment(x_small, y_small, seed)
    augmented = SVC(gamma="scale").fit(flat(x_aug), y_aug).score(flat(x_test), y_test)
    return plain, augmented


def main() -> None:
    rows = [run(seed) for seed in range(5)]
    plain, aug = np.array(rows).T
    print(f"train images per seed: ~{int(round(1797 * 0.5 * 0.1))} (10% of the training half); test images: 899")
    for seed, (p, a) in enumerate(rows):
        print(f"  seed {seed}: without {p:.4f}   with augmentation {a:.4f}")
    print(f"without augmentation: {plain.mean():.2%} +- {plain.std(ddof=1):.2%}")
    print(f"with mild affine augmentation (x{COPIES + 1} data): {aug.mean():.2%} +- {aug.std(ddof=1):.2%}")


if __name__ == "__main__":
    main()
