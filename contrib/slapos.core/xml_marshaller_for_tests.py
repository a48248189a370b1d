# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The promise-run authors
"""A minimal xml_marshaller, for slapos.core's tests only.

slapos.core imports xml_marshaller (not packaged in Debian) in
slapos.util, whose dumps and loads subclass Marshaller (dumps, m_instance)
and Unmarshaller (loads, find_class).  test_slapgrid's fake master
serialises through them and its slap client reads back through them: both
ends use this module, so it needs to read only what it writes.  It writes
the XML of the real one (marshal, string, int, float, bool, none,
dictionary, list, tuple, set, object with module and class, reference)
for those types, and nothing else.
"""
import base64
import xml.etree.ElementTree as ElementTree

_NUMBERS = {int: 'int', float: 'float'}


class Marshaller(object):

  def dumps(self, value):
    root = ElementTree.Element('marshal')
    root.append(self._marshal(value, {}))
    return ElementTree.tostring(root)

  def dump(self, value, file):
    file.write(self.dumps(value))

  def _marshal(self, value, kw):
    if value is None:
      return ElementTree.Element('none')
    if isinstance(value, bool):
      element = ElementTree.Element('bool')
      element.text = '1' if value else '0'
      return element
    if type(value) in _NUMBERS:
      element = ElementTree.Element(_NUMBERS[type(value)])
      element.text = repr(value)
      return element
    if isinstance(value, str):
      element = ElementTree.Element('string')
      element.text = value
      return element
    if isinstance(value, bytes):
      element = ElementTree.Element('bytes')
      element.text = base64.b64encode(value).decode('ascii')
      return element
    if id(value) in kw:
      return ElementTree.Element('reference', id=kw[id(value)])
    kw[id(value)] = 'i%d' % len(kw)
    if isinstance(value, dict):
      element = ElementTree.Element('dictionary', id=kw[id(value)])
      for key, item in value.items():
        element.append(self._marshal(key, kw))
        element.append(self._marshal(item, kw))
      return element
    for kind, name in ((list, 'list'), (tuple, 'tuple'), (set, 'set'),
                       (frozenset, 'set')):
      if isinstance(value, kind):
        element = ElementTree.Element(name, id=kw[id(value)])
        for item in value:
          element.append(self._marshal(item, kw))
        return element
    return self.m_instance(value, kw)

  def m_instance(self, value, kw):
    cls = value.__class__
    element = ElementTree.Element('object', id=kw[id(value)],
                                  module=cls.__module__, **{'class': cls.__name__})
    state = value.__getstate__() if hasattr(value, '__getstate__') \
        else value.__dict__
    element.append(self._marshal(state if state is not None else {}, kw))
    return element


class Unmarshaller(object):

  def loads(self, text):
    if isinstance(text, str):
      text = text.encode('utf-8')
    root = ElementTree.fromstring(text)
    if root.tag != 'marshal' or len(root) != 1:
      raise ValueError('not a marshal document')
    return self._unmarshal(root[0], {})

  def load(self, file):
    return self.loads(file.read())

  def find_class(self, module, name):
    imported = __import__(module, {}, {}, [name])
    return getattr(imported, name)

  def _unmarshal(self, element, memo):
    tag = element.tag
    if tag == 'none':
      return None
    if tag == 'bool':
      return element.text == '1'
    if tag == 'int':
      return int(element.text)
    if tag == 'float':
      return float(element.text)
    if tag == 'string':
      return element.text or ''
    if tag == 'bytes':
      return base64.b64decode(element.text or '')
    if tag == 'reference':
      return memo[element.get('id')]
    if tag == 'dictionary':
      value = memo[element.get('id')] = {}
      items = [self._unmarshal(child, memo) for child in element]
      value.update(zip(items[0::2], items[1::2]))
      return value
    if tag in ('list', 'tuple', 'set'):
      value = memo[element.get('id')] = []
      value.extend(self._unmarshal(child, memo) for child in element)
      if tag != 'list':
        value = memo[element.get('id')] = (tuple if tag == 'tuple' else set)(value)
      return value
    if tag == 'object':
      cls = self.find_class(element.get('module'), element.get('class'))
      value = memo[element.get('id')] = cls.__new__(cls)
      state = self._unmarshal(element[0], memo)
      if hasattr(value, '__setstate__'):
        value.__setstate__(state)
      else:
        value.__dict__.update(state)
      return value
    raise ValueError('unknown element %r' % tag)


_marshaller = Marshaller()
_unmarshaller = Unmarshaller()
dumps = _marshaller.dumps
dump = _marshaller.dump
loads = _unmarshaller.loads
load = _unmarshaller.load
