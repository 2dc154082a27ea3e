import { UnstyledButton } from '@mantine/core';
import { useState } from 'react';
import type { Box } from '../lib/search-events';
import classes from './image-with-boxes.module.css';

interface ImageWithBoxesProps {
  src: string;
  alt: string;
  boxes: Box[];
  /** When set, each box is a button ("Face 1", "Face 2", …) that picks that face. */
  onPick?: (index: number) => void;
  /** Box size in these pixels; defaults to the image's natural size. */
  imageWidth?: number;
  imageHeight?: number;
}

/** An image with face boxes drawn over it, scaled with the image. */
export function ImageWithBoxes({
  src,
  alt,
  boxes,
  onPick,
  imageWidth,
  imageHeight,
}: ImageWithBoxesProps) {
  const [natural, setNatural] = useState<{ width: number; height: number } | null>(null);
  const width = imageWidth ?? natural?.width;
  const height = imageHeight ?? natural?.height;
  return (
    <div className={classes.wrapper}>
      <img
        src={src}
        alt={alt}
        className={classes.image}
        onLoad={(event) =>
          setNatural({
            width: event.currentTarget.naturalWidth,
            height: event.currentTarget.naturalHeight,
          })
        }
      />
      {width &&
        height &&
        boxes.map((box, index) => {
          const style = {
            left: `${(box.x / width) * 100}%`,
            top: `${(box.y / height) * 100}%`,
            width: `${(box.width / width) * 100}%`,
            height: `${(box.height / height) * 100}%`,
          };
          return onPick ? (
            <UnstyledButton
              key={index}
              className={`${classes.box} ${classes.pickable}`}
              style={style}
              onClick={() => onPick(index)}
              aria-label={`Use face ${index + 1}`}
            >
              <span className={classes.label}>{index + 1}</span>
            </UnstyledButton>
          ) : (
            <div key={index} className={classes.box} style={style} data-testid="photo-face-box" />
          );
        })}
    </div>
  );
}
