/** Face descriptors are stored as little-endian float32 bytes, whatever the machine's byte order. */
export function embeddingToBytes(descriptor: Float32Array): Uint8Array {
  const bytes = new Uint8Array(descriptor.length * 4);
  const view = new DataView(bytes.buffer);
  descriptor.forEach((value, index) => view.setFloat32(index * 4, value, true));
  return bytes;
}

export function bytesToEmbedding(bytes: Uint8Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const descriptor = new Float32Array(bytes.byteLength / 4);
  for (let index = 0; index < descriptor.length; index += 1) {
    descriptor[index] = view.getFloat32(index * 4, true);
  }
  return descriptor;
}
