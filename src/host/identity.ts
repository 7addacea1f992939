/**
 * The node's libp2p identity. With REPRAM_KEY_FILE the Ed25519 key is created on first start (mode
 * 0600) and reused after, so a bootstrap node keeps its peer id and multiaddr across restarts. A file
 * that exists but cannot be read or decoded stops the node (ConfigError): never a silent new identity.
 */
import { constants } from 'node:fs'
import { open, readFile } from 'node:fs/promises'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { ConfigError } from '../shared/errors.js'

/** Owner read/write only: the key is the node's identity. */
const KEY_FILE_MODE = 0o600

export async function loadOrCreateIdentity(keyFile: string | undefined): Promise<PrivateKey> {
  if (keyFile === undefined) return generateKeyPair('Ed25519')
  let bytes: Uint8Array | undefined
  try {
    bytes = await readFile(keyFile)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new ConfigError('REPRAM_KEY_FILE', `cannot read ${keyFile}: ${(err as Error).message}`)
    }
  }
  if (bytes !== undefined) {
    try {
      return privateKeyFromProtobuf(bytes)
    } catch {
      throw new ConfigError('REPRAM_KEY_FILE', `${keyFile} is not a libp2p private key (corrupt?); move it away to create a new identity`)
    }
  }
  const key = await generateKeyPair('Ed25519')
  try {
    // O_EXCL: if another process created it meanwhile we fail loudly instead of overwriting.
    const fh = await open(keyFile, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, KEY_FILE_MODE)
    try {
      await fh.writeFile(privateKeyToProtobuf(key))
    } finally {
      await fh.close()
    }
  } catch (err) {
    throw new ConfigError('REPRAM_KEY_FILE', `cannot create ${keyFile}: ${(err as Error).message}`)
  }
  return key
}
