"""Command-line evaluator: python cli.py MODEL.h5 DATA.csv"""

import argparse
import csv

from tensorflow import keras


def main(argv=None):
    parser = argparse.ArgumentParser(description="Evaluate a saved Keras model on a CSV file.")
    parser.add_argument("model_path")
    parser.add_argument("data_path")
    args = parser.parse_args(argv)

    # UNSAFE: the model file is named on the command line, and Keras model files can
    # carry Lambda layers holding serialized Python code that loading may run.
    model = keras.models.load_model(args.model_path)

    with open(args.data_path, newline="") as f:
        rows = [[float(x) for x in row] for row in csv.reader(f)]
    print(model.predict(rows))


if __name__ == "__main__":
    main()
